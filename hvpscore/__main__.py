from hvpscore.cli import run

run()
