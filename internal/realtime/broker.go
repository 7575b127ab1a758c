package realtime

import "context"

// Broker carries messages between the hubs of several instances. Each
// instance's hub publishes through it and listens on it; a broker must not
// hand an instance back its own messages, since the hub has already
// delivered them locally.
type Broker interface {
	// Publish sends payload on topic to every other instance.
	Publish(ctx context.Context, topic string, payload []byte) error
	// Listen calls deliver with every other instance's message, one at a
	// time, until ctx ends; it keeps reconnecting when the connection is lost
	// and returns an error only when it cannot work at all.
	Listen(ctx context.Context, deliver func(topic string, payload []byte)) error
}
