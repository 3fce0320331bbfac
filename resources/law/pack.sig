{
 "format": 1,
 "signer": "publisher",
 "algorithm": "ed25519",
 "signature": "dYVi3+Q4kzJZXMDhttg43QBkFrRdsXB/Sw0wgREULCBxL9Wy1i5/6/Nx7pekZ3ndhqosKZANwE45Y6lm1XLGAA=="
}
