"""Sycophancy: does the model give up a correct answer, or its view, to please the user?"""
