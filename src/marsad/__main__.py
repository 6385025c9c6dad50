from marsad.cli.app import main

main()
