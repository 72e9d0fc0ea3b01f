"""What the Textual front-ends share: the one boundary where file text meets markup."""
