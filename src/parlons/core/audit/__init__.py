"""Every mutation leaves an audit entry with a namespaced past-tense code."""
