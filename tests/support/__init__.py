"""What tests share: the demo village's people and letters, files, stand-in servers, browser helpers."""
