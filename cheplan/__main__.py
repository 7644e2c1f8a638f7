from cheplan.cli import main

raise SystemExit(main())
