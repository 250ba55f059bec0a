"""Messages for pools."""

MESSAGES: dict[str, str] = {
    "pool_not_found": "No pool {pool_id} in this organization.",
    "pool_name_taken": "\"{parent}\" already has a sub-pool named \"{name}\"; pick another name.",
    "pool_limit_exceeds_parent": (
        "A limit of {limit} does not fit: the sub-pools of \"{parent}\" may not add up to more than its "
        "limit of {parent_limit}, and {room} is left. Set at most {room}, 0 for no limit, or raise the "
        "limit of \"{parent}\" first."),
    "pool_limit_below_children": (
        "A limit of {limit} is below the {children_total} that the sub-pools of \"{pool}\" add up to. "
        "Set at least {children_total}, 0 for no limit, or lower the sub-pools' limits first."),
    "root_pool_undeletable": "\"{pool}\" is the organization's root pool and cannot be deleted.",
    "pool_has_sub_pools": (
        "Pool \"{pool}\" still has {count} sub-pool(s); delete them first, then delete this pool."),
}
