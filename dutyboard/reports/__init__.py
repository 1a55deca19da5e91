"""Documents handed to the customer (the system health inspection report), as Markdown or HTML."""
