"""Your data: downloading everything confnet holds about you, and deleting your account (see
``confnet.privacy.services`` for what is exported, what deletion removes and what it keeps)."""
