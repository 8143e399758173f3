// dsr web interface: entry point.
