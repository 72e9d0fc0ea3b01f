from near_tui.cli.main import main

main()
