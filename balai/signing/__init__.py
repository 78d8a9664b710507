"""Electronic signatures: signers' certificates and who acts as Kades, the village CA and
keys (PAdES with pyHanko), the remote (BSrE-style) signer, checking an uploaded PDF, and the
signing commands."""
