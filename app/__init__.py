"""The application edge: settings, the HTTP app, the command line."""
