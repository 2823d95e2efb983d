"""Use cases of accounts: workspaces, users, passwords, API tokens and sessions, their
lifecycle, invitations, roles (who may do what), the brand's accounts."""
