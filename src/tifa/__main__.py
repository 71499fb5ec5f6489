from tifa.cli import main

raise SystemExit(main())
