from brinkwatch.cli import main

main()
