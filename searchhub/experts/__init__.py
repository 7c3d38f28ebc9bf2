"""Experts: who knows what about migration, tied to the documents they know.

``model`` (the profile and its validation against the taxonomies), ``store`` (its
SQL, in the curation database), ``csvio`` (the CSV template: import and export),
``directory`` (searching and faceting profiles), ``matching`` (experts on the topic of
a search, through its hits), ``outbox`` and ``relay`` (messages to experts, sent
through SMTP). The web pages are in ``searchhub.web.experts*``, the commands in
``searchhub.cli_experts``.
"""
