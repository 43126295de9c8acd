"""Running a library: worker processes, the build manifest and the status index."""
