"""Collection: turn a locator (path, URL) into raw content, safely and politely."""
