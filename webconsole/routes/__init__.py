"""Console features: each module's add_routes(app) registers its pages (and its navigation entry)."""

from webconsole.routes import home, invites, members, organization, setup, signin, slack, slack_signin

FEATURES = (home, setup, signin, slack_signin, invites, members, organization, slack)
