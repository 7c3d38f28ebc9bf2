"""The members' area: groups (working groups, the executive committee, workstreams)
declared in a file (``groups``), who belongs to which (``store``)."""
