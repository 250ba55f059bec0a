"""Messages for operators: backing up and restoring the database."""

MESSAGES: dict[str, str] = {
    "backup_no_database": "There is no database at {path} yet; run `cloudtuner migrate` or `cloudtuner serve` first.",
    "backup_target_exists": "{path} already exists; give a new file name, so no earlier backup is overwritten.",
    "backup_target_dir_missing": "The directory {path} does not exist; create it or give another file name.",
    "restore_file_missing": "There is no file {path}; give the file `cloudtuner backup` wrote.",
    "restore_not_a_backup": (
        "{path} is not a Cloudtuner backup (not an intact SQLite database with Cloudtuner's tables); nothing was "
        "changed."
    ),
}
