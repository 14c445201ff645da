package rules

import "time"

// now is the clock of the rules, at the precision timestamps are stored with.
var now = func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
