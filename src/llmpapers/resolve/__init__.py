"""What public services say about the works, the only stage that uses the network: one polite HTTP client
(http), the services' answers read into one shape (services), which to ask (gather), what the answers change
in a record (propose, pure), and whether the database is still current (check)."""
