from hvpscore.cli import main

main()
