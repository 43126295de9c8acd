"""Writing leaflets: new content files from templates (`new`), and rebuilding as an author saves (`watch`)."""
