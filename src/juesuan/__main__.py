from juesuan.entry import main

main()
