"""The employment gRPC api: python -m services.employment.api"""
