"""The Streamlit app: pages in `pages/`, shared sidebar and table helpers in `ui`, and every
read of the ledger in `data`."""
