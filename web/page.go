package web

// Page carries what the layout needs on every page.
type Page struct {
	// Title goes in <title> and, for most pages, the <h1>.
	Title string
	// Section marks the current navigation entry: "home", "templates", "sizing".
	Section string
	// Version is the running server's version, shown in the footer.
	Version string
}

// navItem is one entry of the main navigation.
type navItem struct {
	Section, Label, Href string
}

// nav lists the main navigation entries in order.
var nav = []navItem{
	{"home", "Home", "/"},
}
