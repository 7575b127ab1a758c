package realtime

// Present reports how many subscriptions on this instance listen to topic,
// for tests that watch subscriptions come and go.
func (h *Hub) Present(topic string) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.topics[topic])
}
