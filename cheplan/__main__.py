from cheplan.cli.app import main

raise SystemExit(main())
