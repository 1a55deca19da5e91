from dutyboard.cli.main import main

raise SystemExit(main())
