"""Inspection and case pages, split by concern: filing (the phone report), cases (queues,
case page, actions), ledger (案件台账 export, request register, site compliance history)."""
