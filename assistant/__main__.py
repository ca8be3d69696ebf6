from assistant.interfaces.cli import main

main()
