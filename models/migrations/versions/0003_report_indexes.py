"""report indexes: orders by creation time, payments by payment time, status changes by status and time

The weekly summary reads the week's orders, payments and handovers; without these it scans whole tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 12:00:00
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_orders_created_at', 'orders', ['created_at'], unique=False)
    op.create_index('ix_payments_paid_at', 'payments', ['paid_at'], unique=False)
    op.create_index('ix_order_status_history_to_status_at', 'order_status_history', ['to_status', 'at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_order_status_history_to_status_at', table_name='order_status_history')
    op.drop_index('ix_payments_paid_at', table_name='payments')
    op.drop_index('ix_orders_created_at', table_name='orders')
