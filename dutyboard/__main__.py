from dutyboard.program import main

raise SystemExit(main())
