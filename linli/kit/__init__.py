"""Linli's shared kit: the mechanics every service repeats, written once. No domain code here."""
