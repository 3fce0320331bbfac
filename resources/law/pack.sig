{
 "format": 1,
 "signer": "publisher",
 "algorithm": "ed25519",
 "signature": "77hvxOa6V5tqXthsHFGfk9lio7ZOeSGkK+oE6Gt1pemETOyUjCMbhPWZOmOKf6OIXYeOyyeekownmsaSFn2cBg=="
}
