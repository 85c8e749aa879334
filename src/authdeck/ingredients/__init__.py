"""Building blocks that several recipes share (email delivery)."""
