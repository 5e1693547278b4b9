// Package api holds the description of qdex's public JSON API, served at
// /api/openapi.yaml and kept beside the code as the contract's one reference.
package api

import _ "embed"

// OpenAPI is openapi.yaml, an OpenAPI 3 description of the JSON API.
//
//go:embed openapi.yaml
var OpenAPI []byte
