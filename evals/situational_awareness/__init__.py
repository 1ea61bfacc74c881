"""Situational awareness: does the model know what it is, and when it is being tested?"""
