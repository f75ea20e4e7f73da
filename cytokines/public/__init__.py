"""The public site: pages readers see, search, SEO, feeds, sitemaps, the page cache and reader feedback."""
