"""The ledger of record: data types, rules, storage, journal, readers and writers.

It knows nothing of `tracker` or Streamlit.
"""
