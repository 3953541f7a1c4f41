"""The shop's JSON API for apps and partners: routers and schemas over the same services as the views."""
