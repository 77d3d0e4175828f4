package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"regexp"
)

// firstPagePath is the page a new visitor opens first.
const firstPagePath = seedPath

// pageItem is one response of the first page's load.
type pageItem struct {
	path     string
	status   int
	wire     int    // bytes received: status line, headers, body
	body     int    // body bytes as sent
	encoding string // Content-Encoding
	// gzipBody is the size the body would have gzipped (default level),
	// when it was sent uncompressed; 0 otherwise.
	gzipBody int
}

// measureFirstPage loads the first page as a browser with an empty cache
// would: the HTML, then every stylesheet and script under /static/ that it
// names, all with Accept-Encoding: gzip. It creates no session.
func measureFirstPage(addr string) ([]pageItem, error) {
	c := newClient(addr, "session")
	defer c.close()
	get := func(path, accept string) (pageItem, []byte, error) {
		rs, err := c.do(appendRequest(nil, &request{method: "GET", path: path, host: addr,
			headers: []string{"Accept: " + accept, "Accept-Encoding: gzip"}}))
		if err != nil {
			return pageItem{}, nil, fmt.Errorf("GET %s: %w", path, err)
		}
		if rs.status != 200 {
			return pageItem{}, nil, fmt.Errorf("GET %s: status %d, want 200", path, rs.status)
		}
		if rs.hasCookie {
			return pageItem{}, nil, fmt.Errorf("GET %s set a session cookie; looking must create no session", path)
		}
		it := pageItem{path: path, status: rs.status, wire: rs.wire, body: len(rs.body), encoding: string(rs.encoding)}
		if it.encoding == "" {
			it.gzipBody = gzipSize(rs.body)
		}
		return it, bytes.Clone(rs.body), nil
	}
	page, html, err := get(firstPagePath, "text/html")
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(html, []byte("<html")) {
		return nil, fmt.Errorf("GET %s: not a full page (%d bytes)", firstPagePath, len(html))
	}
	items := []pageItem{page}
	assetRef := regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`)
	for _, m := range assetRef.FindAllSubmatch(html, -1) {
		it, _, err := get(string(m[1]), "*/*")
		if err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	if len(items) < 3 {
		return nil, fmt.Errorf("GET %s names %d static files, want the CSS and the scripts", firstPagePath, len(items)-1)
	}
	return items, nil
}

// gzipSize returns the length of b gzipped at the default level.
func gzipSize(b []byte) int {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	return buf.Len()
}
