"""RPC: a client that casts and calls, a server that dispatches to endpoints.

Layer 6: notebooks/06_conductor_cast.ipynb
Juno: oslo/messaging/rpc/__init__.py (oslo.messaging 1.4)
Now: oslo_messaging/rpc/__init__.py
"""
