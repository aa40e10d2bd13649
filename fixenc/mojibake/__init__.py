"""Repair of mis-decoded spans (stage: repair).

``latin`` wraps ftfy for UTF-8 read as a single-byte codec; ``cjk`` searches codec round
trips for the East-Asian families; ``lost_bytes`` ranks candidates for bytes that were
lost on the way.
"""
