package ratelimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// allowScript checks and records one request against every window in KEYS
// atomically, using the Redis server's clock so every node agrees on time.
// ARGV holds the window in milliseconds, a unique member for this request,
// then one limit per key. It returns the index (1-based) of the first full
// window or 0, then the count and oldest score of each window.
var allowScript = redis.NewScript(`
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local window = tonumber(ARGV[1])
local member = ARGV[2]

local counts = {}
local tripped = 0
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  counts[i] = redis.call('ZCARD', key)
  if tripped == 0 and counts[i] >= tonumber(ARGV[2 + i]) then
    tripped = i
  end
end

if tripped == 0 then
  for i, key in ipairs(KEYS) do
    redis.call('ZADD', key, now, member)
    redis.call('PEXPIRE', key, window)
    counts[i] = counts[i] + 1
  end
end

local result = {tripped, now}
for i, key in ipairs(KEYS) do
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  local oldest_score = now
  if oldest[2] then oldest_score = tonumber(oldest[2]) end
  table.insert(result, counts[i])
  table.insert(result, oldest_score)
end
return result
`)

// RedisStore keeps sliding-window logs in Redis sorted sets, shared by every
// API node.
type RedisStore struct {
	client *redis.Client
	prefix string
}

// NewRedisStore connects to the Redis at url (redis://HOST:PORT/DB).
func NewRedisStore(ctx context.Context, url string) (*RedisStore, error) {
	options, err := redis.ParseURL(url)
	if err != nil {
		return nil, fmt.Errorf("parsing the Redis URL: %w", err)
	}
	client := redis.NewClient(options)
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("connecting to Redis: %w", err)
	}
	return &RedisStore{client: client, prefix: "breadbox:ratelimit:"}, nil
}

// WithPrefix returns a store whose keys start with prefix, so tests sharing
// one Redis do not see each other's windows.
func (s *RedisStore) WithPrefix(prefix string) *RedisStore {
	return &RedisStore{client: s.client, prefix: prefix}
}

// Ping reports whether Redis answers.
func (s *RedisStore) Ping(ctx context.Context) error { return s.client.Ping(ctx).Err() }

// Close closes the connection pool.
func (s *RedisStore) Close() error { return s.client.Close() }

// Allow implements Store.
func (s *RedisStore) Allow(ctx context.Context, buckets []Bucket) (Decision, error) {
	keys := make([]string, len(buckets))
	args := []any{Window.Milliseconds(), uniqueMember()}
	for i, bucket := range buckets {
		keys[i] = s.prefix + bucket.ID
		args = append(args, bucket.Limit)
	}

	raw, err := allowScript.Run(ctx, s.client, keys, args...).Int64Slice()
	if err != nil {
		return Decision{}, fmt.Errorf("checking the rate limit in Redis: %w", err)
	}

	tripped := int(raw[0])
	now := time.UnixMilli(raw[1])
	decision := Decision{Allowed: tripped == 0, Now: now}
	for i, bucket := range buckets {
		count, oldest := raw[2+2*i], raw[3+2*i]
		state := WindowState{Name: bucket.Name, Limit: bucket.Limit, Remaining: max(bucket.Limit-int(count), 0), ResetAt: now}
		if count > 0 {
			state.ResetAt = time.UnixMilli(oldest).Add(Window)
		}
		decision.Windows = append(decision.Windows, state)
	}
	if tripped > 0 {
		decision.Tripped = &decision.Windows[tripped-1]
	}
	return decision, nil
}

func uniqueMember() string {
	var buf [12]byte
	_, _ = rand.Read(buf[:])
	return hex.EncodeToString(buf[:])
}
