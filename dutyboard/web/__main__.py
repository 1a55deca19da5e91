"""`python -m dutyboard.web [--db PATH|URL] [HOST:PORT]`: the HTTP interface on its own.

Serves until SIGINT or SIGTERM; one log line per request that changed something (and per
refusal) on stderr. Bad input (the address, the config) is one line and exit status 2.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from dutyboard.i18n import _


def main(argv: Sequence[str] | None = None) -> int:
    from dutyboard.config import ConfigError, load_config
    from dutyboard.i18n import setup_language
    from dutyboard.service.board import Board
    from dutyboard.service.errors import ServiceError, StoreError

    try:
        config = load_config()
    except ConfigError as error:
        sys.stderr.write(error.message + "\n")
        return 2
    setup_language(config.language)
    parser = argparse.ArgumentParser(prog="python -m dutyboard.web",
                                     description=_("The HTTP interface of the board."))
    parser.add_argument("listen", nargs="?", default="127.0.0.1:8080", metavar="HOST:PORT")
    parser.add_argument(
        "--db", metavar="PATH|URL", help=_("database file or URL (or DUTYBOARD_DB)")
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from dutyboard.web.server import HttpServer

    board = None
    try:
        board = Board.open(args.db, config=config)
        server = HttpServer(board, args.listen)
        logging.getLogger("dutyboard.web").info(
            "serving %s on %s", board.target or "the board", server.url
        )
        server.serve()
        return 0
    except ServiceError as error:
        sys.stderr.write(error.message + "\n")
        return error.exit_status
    except StoreError as error:
        sys.stderr.write(error.message + "\n")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if board is not None:
            board.close()


if __name__ == "__main__":
    sys.exit(main())
