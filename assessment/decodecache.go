package assessment

import "sync"

// Pages decode every stored answer of an assessment on every view, and the
// stored forms rarely change; structured answers (tables, lists, people)
// cost JSON decoding each time. The cache keeps recent decodings.
type decodeKey struct {
	q   *Question
	raw string
}

var (
	decodeMu    sync.RWMutex
	decodeCache = make(map[decodeKey]Value)
)

// maxDecodeCache bounds the cache; when full it starts again empty.
const maxDecodeCache = 8192

// DecodeShared is Decode for stored answers that are read again and again:
// decodings of structured answers are cached, so the returned Value may be
// shared with other callers and must not be modified.
func (q *Question) DecodeShared(raw string) (Value, error) {
	if q.Type.scalar() {
		return q.Decode(raw)
	}
	k := decodeKey{q, raw}
	decodeMu.RLock()
	v, ok := decodeCache[k]
	decodeMu.RUnlock()
	if ok {
		return v, nil
	}
	v, err := q.Decode(raw)
	if err != nil {
		return v, err
	}
	decodeMu.Lock()
	if len(decodeCache) >= maxDecodeCache {
		clear(decodeCache)
	}
	decodeCache[k] = v
	decodeMu.Unlock()
	return v, nil
}
