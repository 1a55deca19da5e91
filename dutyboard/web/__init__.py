"""The HTTP interface: intake from monitoring, the JSON API and the read-only board in a browser.

Started by `dutyboard serve --http HOST:PORT`. Starlette on uvicorn; every database call runs
in a worker thread through the service layer, never on the event loop.
"""
