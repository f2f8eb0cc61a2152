"""The commands that write records: canonical formatting (`formatting/`), moving to a newer
schema (`migrating`), safe fixes (`fixing`) and new-record skeletons (`skeleton`). Each
edits text in place or writes it atomically, and keeps the keeper's comments."""
