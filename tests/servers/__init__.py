"""Real servers for the outside systems the app talks to, started by the tests on loopback."""
